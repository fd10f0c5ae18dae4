import { expect, it } from 'vitest';
import rule from './breaking-change.js';
import { ruleTests, runRule } from '../../../test/support/lint/rule-tester.js';

/** The older system every case is compared with: books serves loans (calls) and loans and audit (events). */
const before = `
services:
  books:
    database: books
    entities:
      Book:
        title: string
        pages: integer
        note: string?
    api:
      - GET /books/{id}/cover
      - POST /books/{id}/archive
    publishes: [BookAdded]
  covers:
    api: ['GET /covers/{id}']
  loans:
    database: loans
    entities:
      Loan: { bookId: uuid }
    calls:
      books:
        - GET /books/{id}
        - POST /books
        - GET /books/{id}/cover
      covers: ['GET /covers/{id}']
    subscribes: [BookAdded, BookLost]
  audit:
    publishes: [BookLost]
    subscribes: [BookAdded]
events:
  BookAdded: { bookId: uuid, title: string }
  BookLost: { bookId: uuid }
`;

/** `before` with text replaced, each replacement required to apply. */
function edited(...edits: readonly (readonly [string, string])[]): string {
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`no '${from}' in the system to edit`);
    return text.replace(from, to);
  }, before);
}

ruleTests(rule, {
  valid: [
    { name: 'without --against, even a breaking system', yaml: edited(['        pages: integer\n', '']) },
    { name: 'an unchanged system', yaml: edited(), against: before },
    { name: 'an endpoint nobody calls removed', yaml: edited(['      - POST /books/{id}/archive\n', '']), against: before },
    { name: 'an endpoint removed together with its only caller', yaml: edited(['      - GET /books/{id}/cover\n      - POST', '      - POST'], ['  loans:\n    database: loans\n    entities:\n      Loan: { bookId: uuid }\n    calls:\n      books:\n        - GET /books/{id}\n        - POST /books\n        - GET /books/{id}/cover\n      covers: [\'GET /covers/{id}\']\n    subscribes: [BookAdded, BookLost]\n', '']), against: before },
    { name: 'findings at a service that ignores the rule', yaml: edited(['        pages: integer\n', ''], ['    publishes: [BookAdded]\n', '    publishes: [BookAdded]\n    lint: { ignore: [{ rule: breaking-change, reason: loans moves first }] }\n']), against: before },
  ],
  invalid: [
    {
      name: 'an endpoint removed while a service calls it',
      yaml: edited(['      - GET /books/{id}/cover\n      - POST', '      - POST']),
      against: before,
      findings: [
        { line: 3, column: 3, services: ['books', 'loans'], message: '\'books\' no longer serves GET /books/{id}/cover; breaks loans, which calls GET /books/{id}/cover' },
      ],
    },
    {
      name: 'an endpoint\'s path changed while a service calls the old one (and the new one is an info)',
      yaml: edited(['      - GET /books/{id}/cover\n      - POST', '      - GET /books/{id}/image\n      - POST']),
      against: before,
      findings: [
        { line: 3, column: 3, services: ['books', 'loans'], message: '\'books\' no longer serves GET /books/{id}/cover; breaks loans, which calls GET /books/{id}/cover' },
        { line: 11, column: 9, services: ['books'], message: '\'books\' serves GET /books/{id}/image, a new endpoint', severity: 'info' },
      ],
    },
    {
      name: 'an endpoint\'s method changed while a service calls the old one (and the new one is an info)',
      yaml: edited(['      - GET /books/{id}/cover\n      - POST', '      - PUT /books/{id}/cover\n      - POST']),
      against: before,
      findings: [
        { line: 3, column: 3, services: ['books', 'loans'], message: '\'books\' no longer serves GET /books/{id}/cover; breaks loans, which calls GET /books/{id}/cover' },
        { line: 11, column: 9, services: ['books'], message: '\'books\' serves PUT /books/{id}/cover, a new endpoint', severity: 'info' },
      ],
    },
    {
      name: 'a field removed from an entity a caller reads (and the table change generate refuses)',
      yaml: edited(['        pages: integer\n', '']),
      against: before,
      findings: [
        { line: 6, column: 7, services: ['books', 'loans'], message: 'field Book.pages is removed; breaks loans, which calls GET /books/{id}, POST /books and reads `pages`' },
        { line: 6, column: 7, services: ['books'], message: 'field Book.pages is removed: its column and the value of every existing row would be dropped; generate refuses this (run generate with --allow-data-loss to drop it deliberately; if it was renamed, write `renamedFrom: pages` in the new field)' },
      ],
    },
    {
      name: 'a field retyped in an entity a caller reads, even when the table keeps every value',
      yaml: edited(['pages: integer', 'pages: number']),
      against: before,
      findings: [
        { line: 8, column: 9, services: ['books', 'loans'], message: 'field Book.pages changes from integer to number; breaks loans, which calls GET /books/{id}, POST /books and reads `pages`' },
      ],
    },
    {
      name: 'a field narrowed in an entity a caller reads (and the table change generate refuses)',
      yaml: edited(['title: string\n', 'title: integer\n']),
      against: before,
      findings: [
        { line: 7, column: 9, services: ['books'], message: 'Book.title changes from string to integer, which can lose stored values (or fail on them); generate refuses this (run generate with --allow-data-loss to convert existing rows deliberately, or add a new field of the new type and keep this one)' },
        { line: 7, column: 9, services: ['books', 'loans'], message: 'field Book.title changes from string to integer; breaks loans, which calls GET /books/{id}, POST /books and reads `title`' },
      ],
    },
    {
      name: 'a field renamed with renamedFrom: the table keeps its values, the caller reading the old name breaks',
      yaml: edited(['        title: string\n', '        name: { type: string, renamedFrom: title }\n']),
      against: before,
      findings: [
        { line: 7, column: 9, services: ['books', 'loans'], message: 'field Book.title is renamed to name; breaks loans, which calls GET /books/{id}, POST /books and reads `title`' },
      ],
    },
    {
      name: 'a required field without a default added to an entity a caller creates',
      yaml: edited(['        note: string?\n', '        note: string?\n        isbn: string\n']),
      against: before,
      findings: [
        { line: 10, column: 9, services: ['books', 'loans'], message: 'field Book.isbn becomes required in requests; breaks loans, which calls POST /books and sends Book bodies without it' },
        { line: 10, column: 9, services: ['books'], message: 'required field Book.isbn is added without a default: existing rows would have no value for it; generate refuses this (give it a default (`{ type: string, default: ... }`) that existing rows get, or add it optional (`string?`), fill it in, and make it required in a later change)' },
      ],
    },
    {
      name: 'a required field with a default added: callers may leave it out (an info)',
      yaml: edited(['        note: string?\n', '        note: string?\n        isbn: { type: string, default: \'\' }\n']),
      against: before,
      findings: [
        { line: 10, column: 9, services: ['books'], message: 'required field Book.isbn is added: existing rows get its default \'\'', severity: 'info' },
      ],
    },
    {
      name: 'an optional field added to an entity (an info)',
      yaml: edited(['        note: string?\n', '        note: string?\n        isbn: string?\n']),
      against: before,
      findings: [
        { line: 10, column: 9, services: ['books'], message: 'optional field Book.isbn is added: existing rows hold null', severity: 'info' },
      ],
    },
    {
      name: 'an optional field made required while a caller creates the entity',
      yaml: edited(['note: string?', 'note: string']),
      against: before,
      findings: [
        { line: 9, column: 9, services: ['books'], message: 'Book.note becomes required without a default: existing rows may have no value for it; generate refuses this (give it a default (`{ type: string, default: ... }`) that rows without a value get, or keep it optional)' },
        { line: 9, column: 9, services: ['books', 'loans'], message: 'field Book.note becomes required in requests; breaks loans, which calls POST /books and sends Book bodies without it' },
      ],
    },
    {
      name: 'an enum value removed from an entity a caller creates (and the table change generate refuses)',
      yaml: edited(['        note: string?\n', '        note: string?\n        state: { enum: [open, lent], default: open }\n']),
      against: edited(['        note: string?\n', '        note: string?\n        state: { enum: [open, lent, lost], default: open }\n']),
      findings: [
        { line: 10, column: 9, services: ['books'], message: "Book.state no longer allows 'lost': rows holding them lose that value (replaced by its default 'open'); generate refuses this" },
        { line: 10, column: 9, services: ['books', 'loans'], message: "field Book.state no longer accepts 'lost'; breaks loans, which calls POST /books and may send those values" },
      ],
    },
    {
      name: 'an entity renamed with renamedFrom: its table is kept, its CRUD paths move away from callers',
      yaml: edited(['      Book:\n', '      Volume:\n        renamedFrom: Book\n']),
      against: before,
      findings: [
        { line: 3, column: 3, services: ['books', 'loans'], message: "'books' no longer serves GET /books/{id}; breaks loans, which calls GET /books/{id}" },
        { line: 3, column: 3, services: ['books', 'loans'], message: "'books' no longer serves POST /books; breaks loans, which calls POST /books" },
      ],
    },
    {
      name: 'a field removed from an event services subscribe to',
      yaml: edited(['BookAdded: { bookId: uuid, title: string }', 'BookAdded: { bookId: uuid }']),
      against: before,
      findings: [
        { line: 31, column: 3, services: ['books', 'loans', 'audit'], message: 'field BookAdded.title is removed; breaks loans, which reads BookAdded.title; and audit, which reads BookAdded.title' },
      ],
    },
    {
      name: 'a field retyped in an event services subscribe to',
      yaml: edited(['BookAdded: { bookId: uuid, title: string }', 'BookAdded: { bookId: string, title: string }']),
      against: before,
      findings: [
        { line: 31, column: 16, services: ['books', 'loans', 'audit'], message: 'field BookAdded.bookId changes from uuid to string; breaks loans, which reads BookAdded.bookId; and audit, which reads BookAdded.bookId' },
      ],
    },
    {
      name: 'a required field added to an event services subscribe to',
      yaml: edited(['BookAdded: { bookId: uuid, title: string }', 'BookAdded: { bookId: uuid, title: string, isbn: string }']),
      against: before,
      findings: [
        { line: 31, column: 45, services: ['books', 'loans', 'audit'], message: 'required field BookAdded.isbn is added; breaks loans, which subscribes to BookAdded; and audit, which subscribes to BookAdded' },
      ],
    },
    {
      name: 'an optional field added to an event (an info)',
      yaml: edited(['BookAdded: { bookId: uuid, title: string }', 'BookAdded: { bookId: uuid, title: string, isbn: string? }']),
      against: before,
      findings: [
        { line: 31, column: 45, services: ['books'], message: 'optional field BookAdded.isbn is added', severity: 'info' },
      ],
    },
    {
      name: 'a service removed while another called it',
      yaml: edited(['  covers:\n    api: [\'GET /covers/{id}\']\n', ''], ['      covers: [\'GET /covers/{id}\']\n', '']),
      against: before,
      findings: [
        { line: 14, column: 3, services: ['covers', 'loans'], message: 'service \'covers\' is removed; breaks loans, which calls GET /covers/{id}' },
      ],
    },
    {
      name: 'an event removed while a service subscribed to it',
      yaml: edited(['  BookLost: { bookId: uuid }\n', ''], ['    publishes: [BookLost]\n', ''], ['subscribes: [BookAdded, BookLost]', 'subscribes: [BookAdded]']),
      against: before,
      findings: [
        { line: 16, column: 3, services: ['audit', 'loans'], message: 'event BookLost is removed; breaks loans, which subscribes to BookLost' },
      ],
    },
    {
      name: 'a table change generate refuses, in a service nobody calls',
      yaml: edited(['Loan: { bookId: uuid }', 'Loan: { bookId: uuid, due: date }']),
      against: before,
      findings: [
        { line: 19, column: 29, services: ['loans'], message: 'required field Loan.due is added without a default: existing rows would have no value for it; generate refuses this (give it a default (`{ type: date, default: ... }`) that existing rows get, or add it optional (`date?`), fill it in, and make it required in a later change)' },
      ],
    },
    {
      name: 'a new endpoint, entity, service and event (infos)',
      yaml: edited(['      - POST /books/{id}/archive\n', '      - POST /books/{id}/archive\n      - GET /books/{id}/reviews\n'], ['        note: string?\n', '        note: string?\n      Review: { text: string }\n'], ['  audit:\n', '  search:\n    api: [GET /search]\n    subscribes: [BookAdded]\n  audit:\n    publishes: [BookLost, AuditDone]\n'], ['    publishes: [BookLost]\n    subscribes', '    subscribes'], ['  BookLost: { bookId: uuid }\n', '  BookLost: { bookId: uuid }\n  AuditDone: { id: uuid }\n']),
      against: before,
      findings: [
        { line: 10, column: 7, services: ['books'], message: 'entity Review is added to \'books\', served at /reviews', severity: 'info' },
        { line: 14, column: 9, services: ['books'], message: '\'books\' serves GET /books/{id}/reviews, a new endpoint', severity: 'info' },
        { line: 29, column: 3, services: ['search'], message: 'service \'search\' is added', severity: 'info' },
        { line: 38, column: 3, services: ['audit'], message: 'event AuditDone is added', severity: 'info' },
      ],
    },
    {
      name: 'errors as configured in lint.rules, infos stay infos',
      yaml: edited(['        pages: integer\n', ''], ['        note: string?\n', '        note: string?\n        isbn: string?\n'], ['  BookLost: { bookId: uuid }\n', '  BookLost: { bookId: uuid }\nlint:\n  rules:\n    breaking-change: warn\n']),
      against: before,
      severity: 'warn',
      findings: [
        { line: 6, column: 7, services: ['books', 'loans'], message: 'field Book.pages is removed; breaks loans, which calls GET /books/{id}, POST /books and reads `pages`' },
        { line: 6, column: 7, services: ['books'], message: 'field Book.pages is removed: its column and the value of every existing row would be dropped; generate refuses this (run generate with --allow-data-loss to drop it deliberately; if it was renamed, write `renamedFrom: pages` in the new field)' },
        { line: 9, column: 9, services: ['books'], message: 'optional field Book.isbn is added: existing rows hold null', severity: 'info' },
      ],
    },
  ],
});

it('marks the calls and subscriptions a change breaks, for the graph', () => {
  const [finding] = runRule(rule, edited(['      - GET /books/{id}/cover\n      - POST', '      - POST']), before);
  expect(finding?.edges).toEqual([{ from: 'loans', to: 'books', kind: 'sync' }]);
});
