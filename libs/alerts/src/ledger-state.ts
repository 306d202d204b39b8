/**
 * The attribute of a ledger record (a local ledger file, a DynamoDB ledger item) that says
 * whether its alert is delivered, and its two values: `pending` while claimed, `delivered` once
 * published. A record without the attribute was written before claims existed: it counts as
 * delivered.
 */
export const LEDGER_STATE = { attribute: 'estado', pending: 'pendente', delivered: 'entregue' } as const;
