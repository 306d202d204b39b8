import { describe, expect, it } from 'vitest';
import { type IamStatement, isAdministrative, isAllowed } from '../src/testing';

const LAKE = 'arn:aws:s3:::lake';

describe('isAllowed', () => {
  it('allows an action only on the resources its statement names, wildcards included', () => {
    // prepare
    const statements: IamStatement[] = [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `${LAKE}/raw/*` }];
    // act
    const raw = isAllowed(statements, 's3:PutObject', `${LAKE}/raw/streams/dt=2026-11-29/a.parquet`);
    const gold = isAllowed(statements, 's3:PutObject', `${LAKE}/gold/x/part-0.parquet`);
    const read = isAllowed(statements, 's3:GetObject', `${LAKE}/raw/streams/a.parquet`);
    // assess
    expect([raw, gold, read]).toEqual([true, false, false]);
  });

  it('lets an explicit deny win over an allow', () => {
    // prepare
    const statements: IamStatement[] = [
      { Effect: 'Allow', Action: 's3:*', Resource: `${LAKE}/*` },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${LAKE}/*` },
    ];
    // act
    const deleted = isAllowed(statements, 's3:DeleteObject', `${LAKE}/raw/a`);
    const written = isAllowed(statements, 's3:PutObject', `${LAKE}/raw/a`);
    // assess
    expect(deleted).toBe(false);
    expect(written).toBe(true);
  });

  it('applies StringLike conditions to the request context and fails closed without the key', () => {
    // prepare
    const statements: IamStatement[] = [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: LAKE, Condition: { StringLike: { 's3:prefix': ['raw/streams/*'] } } },
    ];
    // act
    const listRaw = isAllowed(statements, 's3:ListBucket', LAKE, { 's3:prefix': 'raw/streams/dt=2026-11-29/' });
    const listGold = isAllowed(statements, 's3:ListBucket', LAKE, { 's3:prefix': 'gold/' });
    const listAll = isAllowed(statements, 's3:ListBucket', LAKE);
    // assess
    expect([listRaw, listGold, listAll]).toEqual([true, false, false]);
  });
});

describe('isAdministrative', () => {
  it('flags "*" or service-wide actions on every resource, and nothing scoped', () => {
    // prepare
    const everything: IamStatement = { Effect: 'Allow', Action: '*', Resource: '*' };
    const serviceWide: IamStatement = { Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] };
    const scoped: IamStatement = { Effect: 'Allow', Action: 's3:*', Resource: `${LAKE}/*` };
    const denial: IamStatement = { Effect: 'Deny', Action: '*', Resource: '*' };
    // act
    const flags = [everything, serviceWide, scoped, denial].map(isAdministrative);
    // assess
    expect(flags).toEqual([true, true, false, false]);
  });
});
