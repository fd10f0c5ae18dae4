import type { AnyRule } from './rule.js';
import asyncCycle from './rules/async-cycle.js';
import breakingChange from './rules/breaking-change.js';
import chattyCalls from './rules/chatty-calls.js';
import eventWithoutPublisher from './rules/event-without-publisher.js';
import eventWithoutSubscriber from './rules/event-without-subscriber.js';
import hubService from './rules/hub-service.js';
import layeredCut from './rules/layered-cut.js';
import megaService from './rules/mega-service.js';
import missingGateway from './rules/missing-gateway.js';
import nanoService from './rules/nano-service.js';
import noResilience from './rules/no-resilience.js';
import serviceWithoutOwner from './rules/service-without-owner.js';
import sharedDatabase from './rules/shared-database.js';
import singlePointOfFailure from './rules/single-point-of-failure.js';
import syncChainDepth from './rules/sync-chain-depth.js';
import syncCycle from './rules/sync-cycle.js';
import syncFanOut from './rules/sync-fan-out.js';
import teamTooManyServices from './rules/team-too-many-services.js';
import tooManyTechnologies from './rules/too-many-technologies.js';
import unknownEndpoint from './rules/unknown-endpoint.js';

/** Every lint rule, in the order of the README's rule table (the order of PRODUCT.md). */
export const rules: readonly AnyRule[] = [
  syncCycle,
  sharedDatabase,
  syncChainDepth,
  unknownEndpoint,
  eventWithoutSubscriber,
  eventWithoutPublisher,
  asyncCycle,
  hubService,
  chattyCalls,
  syncFanOut,
  singlePointOfFailure,
  teamTooManyServices,
  serviceWithoutOwner,
  missingGateway,
  nanoService,
  megaService,
  noResilience,
  tooManyTechnologies,
  layeredCut,
  breakingChange,
];
