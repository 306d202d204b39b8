import { fileURLToPath } from 'node:url';
import { savedQueries } from '@twitch-pipeline/features';
import { TrinoSQL } from 'dt-sql-parser';
import {
  accessLogFindings,
  administrativeFindings,
  bucketFindings,
  isAllowed,
  type MockedProgram,
  type RecordedResource,
  stackFileKeys,
} from '@twitch-pipeline/infra-components/testing';
import { ANALYTICS_TABLES, GOLD_TABLES, glueColumns, LAKE_PREFIXES, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_CONFIG_KEYS } from '../src/config';
import { ACCOUNT, bucketByName, PROJECT, REGION, rolePolicyOf, runDataProgram } from './support/data-program';

const EXPECTED_TABLES = [
  'bronze_streams',
  'gold_canais_hora',
  'gold_categorias_canais',
  'gold_categorias_diario',
  'gold_idiomas_periodo',
  'gold_melhores_horarios',
  'gold_streamers_diario',
  'gold_streams_diario',
  'gold_tendencias_diario',
  'quarantine_streams',
  'silver_streams',
];
// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks.
let program: MockedProgram;

function attachedTo(type: string, bucket: RecordedResource): RecordedResource {
  const found = program.ofType(type).filter((resource) => resource.inputs.bucket === bucket.id);
  expect(found).toHaveLength(1);
  return found[0]!;
}

beforeAll(async () => {
  program = await runDataProgram();
});

describe('data stack: buckets', () => {
  it('moves bronze to Standard-IA after 30 days and expires quarantine', () => {
    // prepare
    const lake = bucketByName(program, 'lake');
    // act
    const rules = attachedTo('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', lake).inputs.rules;
    // assess
    expect(rules).toContainEqual(
      expect.objectContaining({
        status: 'Enabled',
        filter: { prefix: LAKE_PREFIXES.bronze },
        transitions: [{ days: 30, storageClass: 'STANDARD_IA' }],
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ status: 'Enabled', filter: { prefix: LAKE_PREFIXES.quarantine }, expiration: { days: 90 } }),
    );
  });

  it('versions the lake and expires replaced versions after 30 days, so an overwritten object can be restored', () => {
    // prepare
    const lake = bucketByName(program, 'lake');
    // act
    const versioning = attachedTo('aws:s3/bucketVersioning:BucketVersioning', lake);
    const rules = attachedTo('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', lake).inputs.rules;
    // assess
    expect(versioning.inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    expect(rules).toContainEqual(
      expect.objectContaining({ status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } }),
    );
  });

  it('keeps Athena results unversioned: they are disposable', () => {
    // prepare
    const results = bucketByName(program, 'athena-results');
    // act
    const versioning = program.ofType('aws:s3/bucketVersioning:BucketVersioning').filter((resource) => resource.inputs.bucket === results.id);
    // assess
    expect(versioning).toEqual([]);
  });

  it('expires Athena results and connector spills', () => {
    // prepare
    const results = bucketByName(program, 'athena-results');
    // act
    const rules = attachedTo('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', results).inputs.rules;
    // assess
    expect(rules).toContainEqual(expect.objectContaining({ filter: { prefix: 'query-results/' }, expiration: { days: 7 } }));
    expect(rules).toContainEqual(expect.objectContaining({ filter: { prefix: 'athena-spill/' }, expiration: { days: 1 } }));
  });

  it('keeps every bucket encrypted, private and TLS-only', () => {
    // prepare
    const buckets = program.ofType('aws:s3/bucket:Bucket');
    // act
    const findings = bucketFindings(program);
    // assess
    expect(buckets.map((bucket) => bucket.name).sort()).toEqual(['access-logs', 'athena-results', 'lake']);
    expect(findings).toEqual([]);
  });

  it('records every request to the lake and the Athena results in the access-log bucket, each under its own prefix', () => {
    // prepare
    const log = bucketByName(program, 'access-logs');
    // act
    const findings = accessLogFindings(program, { logBucket: 'access-logs', account: ACCOUNT });
    const prefixes = Object.fromEntries(
      program.ofType('aws:s3/bucketLogging:BucketLogging').map((logging) => [logging.name, [logging.inputs.targetBucket, logging.inputs.targetPrefix]]),
    );
    // assess
    expect(findings).toEqual([]);
    expect(prefixes).toEqual({ lake: [log.id, 'lake/'], 'athena-results': [log.id, 'athena-results/'] });
    expect(program.outputs.accessLogBucketName).toBe(log.id);
  });

  it('expires the access logs after accessLogExpirationDays and keeps no versions of them', () => {
    // prepare
    const log = bucketByName(program, 'access-logs');
    // act
    const rules = attachedTo('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', log).inputs.rules;
    const versioning = program.ofType('aws:s3/bucketVersioning:BucketVersioning').filter((resource) => resource.inputs.bucket === log.id);
    // assess
    expect(rules).toContainEqual({ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: 90 } });
    expect(versioning).toEqual([]);
  });
});

describe('data stack: Glue catalog', () => {
  it('creates the database and one Parquet table per dataset with dt partition projection', () => {
    // prepare
    const lake = bucketByName(program, 'lake');
    const database = program.one('aws:glue/catalogDatabase:CatalogDatabase');
    // act
    const tables = program.ofType('aws:glue/catalogTable:CatalogTable');
    // assess
    expect(database.inputs.name).toBe('twitch_pipeline_prod');
    expect(tables.map((table) => table.inputs.name).sort()).toEqual(EXPECTED_TABLES);
    for (const table of tables) {
      const location = table.inputs.storageDescriptor.location as string;
      expect(table.inputs.databaseName).toBe('twitch_pipeline_prod');
      expect(table.inputs.partitionKeys).toEqual([expect.objectContaining({ name: 'dt', type: 'string' })]);
      expect(table.inputs.storageDescriptor.serDeInfo.serializationLibrary).toBe(
        'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      );
      expect(location.startsWith(`s3://${lake.id}/`)).toBe(true);
      expect(table.inputs.parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        // a day past UTC's today, so the newest date of a zone east of UTC (Asia/Tokyo) is queryable
        'projection.dt.range': '2025-06-01,NOW+1DAYS',
        'storage.location.template': `${location}dt=\${dt}/`,
      });
    }
  });

  it('places each table at its lake prefix with the columns of its row schema', () => {
    // prepare
    const lake = bucketByName(program, 'lake');
    // act
    const silver = program.one('aws:glue/catalogTable:CatalogTable', 'silver_streams');
    const goldTables = [...Object.keys(GOLD_TABLES), ...Object.keys(ANALYTICS_TABLES)];
    const goldLocations = goldTables.map(
      (table) => program.one('aws:glue/catalogTable:CatalogTable', `gold_${table}`).inputs.storageDescriptor.location,
    );
    // assess
    expect(silver.inputs.storageDescriptor.location).toBe(`s3://${lake.id}/${LAKE_PREFIXES.silver}`);
    expect(silver.inputs.storageDescriptor.columns).toEqual(glueColumns(silverStreamRowSchema));
    expect(goldLocations).toEqual(goldTables.map((table) => `s3://${lake.id}/gold/${table}/`));
  });

  it('has raw, silver and gold crawlers that together cover every table and only log changes', () => {
    // prepare
    const crawlers = program.ofType('aws:glue/crawler:Crawler');
    // act
    const targets = crawlers.flatMap((crawler) => crawler.inputs.catalogTargets.flatMap((target: { tables: string[] }) => target.tables));
    // assess
    expect(crawlers.map((crawler) => crawler.name).sort()).toEqual(['gold', 'raw', 'silver']);
    expect(targets.sort()).toEqual(EXPECTED_TABLES);
    for (const crawler of crawlers) {
      expect(crawler.inputs.schemaChangePolicy).toEqual({ deleteBehavior: 'LOG', updateBehavior: 'LOG' });
      expect(crawler.inputs.schedule).toBeUndefined();
    }
  });

  it('lets each crawler read only its own layer', () => {
    // prepare
    const lake = bucketByName(program, 'lake');
    // act
    const raw = rolePolicyOf(program, 'crawler-raw');
    const silver = rolePolicyOf(program, 'crawler-silver');
    // assess
    expect(isAllowed(raw, 's3:GetObject', `arn:aws:s3:::${lake.id}/raw/streams/dt=2026-11-29/a.parquet`)).toBe(true);
    expect(isAllowed(raw, 's3:GetObject', `arn:aws:s3:::${lake.id}/silver/streams/dt=2026-11-29/a.parquet`)).toBe(false);
    expect(isAllowed(silver, 's3:GetObject', `arn:aws:s3:::${lake.id}/silver/streams/dt=2026-11-29/a.parquet`)).toBe(true);
    expect(isAllowed(silver, 's3:PutObject', `arn:aws:s3:::${lake.id}/silver/streams/dt=2026-11-29/a.parquet`)).toBe(false);
    expect(
      isAllowed(silver, 'glue:UpdateTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/twitch_pipeline_prod/silver_streams`),
    ).toBe(true);
    expect(
      isAllowed(silver, 'glue:UpdateTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/twitch_pipeline_prod/bronze_streams`),
    ).toBe(false);
  });
});

describe('data stack: Athena', () => {
  it('enforces the workgroup settings: results location, encryption, engine 3 and the scan cutoff', () => {
    // prepare
    const results = bucketByName(program, 'athena-results');
    // act
    const workgroup = program.one('aws:athena/workgroup:Workgroup');
    // assess
    expect(workgroup.inputs.configuration).toMatchObject({
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 2048 * 1024 * 1024,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: `s3://${results.id}/query-results/`,
        encryptionConfiguration: { encryptionOption: 'SSE_S3' },
      },
    });
  });

  it('deploys every saved query as a named query in the workgroup and database', () => {
    // prepare
    const expected = savedQueries();
    // act
    const named = program.ofType('aws:athena/namedQuery:NamedQuery');
    // assess
    expect(expected.length).toBeGreaterThan(0);
    expect(named.map((query) => query.inputs.name).sort()).toEqual(expected.map((query) => query.name).sort());
    for (const query of named) {
      const source = expected.find((candidate) => candidate.name === query.inputs.name)!;
      expect(query.inputs).toMatchObject({ database: 'twitch_pipeline_prod', workgroup: 'twitch-pipeline-prod', query: source.sql });
      expect(query.inputs.description.startsWith(source.description)).toBe(true);
    }
  });

  it("lists every placeholder of a named query in its description, within Athena's 1,024 characters", () => {
    // prepare: Athena users bind EXECUTE … USING in the order the description lists
    const expected = savedQueries();
    // act
    const named = program.ofType('aws:athena/namedQuery:NamedQuery');
    // assess
    const cut = named.flatMap((query) => {
      const source = expected.find((candidate) => candidate.name === query.inputs.name)!;
      const placeholders = source.parameters.map((parameter, index) => `?${index + 1} ${parameter.name}: ${parameter.description}`);
      return query.inputs.description === [source.description, ...placeholders].join(' | ') && query.inputs.description.length <= 1024 ? [] : [source.name];
    });
    expect(cut).toEqual([]);
  });

  it('deploys named queries that parse as Trino SQL, the dialect of Athena engine 3', () => {
    // prepare
    const trino = new TrinoSQL();
    const named = program.ofType('aws:athena/namedQuery:NamedQuery');
    // act
    const errors = named.map((query) => ({ name: query.inputs.name, errors: trino.validate(query.inputs.query).map((error) => error.message) }));
    // assess
    expect(named.length).toBeGreaterThan(0);
    expect(errors.filter((query) => query.errors.length > 0)).toEqual([]);
    expect(trino.validate(`${named[0]!.inputs.query.replace(/\bSELECT\b/, 'SELECT CAST(1 AS INTEGER)::VARCHAR AS x,')}`).length).toBeGreaterThan(0);
  });

  it('has a catalog table for every table a saved query reads', () => {
    // prepare
    const tables = new Set(program.ofType('aws:glue/catalogTable:CatalogTable').map((table) => table.inputs.name));
    // act
    const referenced = new Set(
      savedQueries().flatMap((query) => {
        const sql = query.sql.replace(/--.*$/gm, '');
        // A query's own CTEs (`WITH name AS (`, `, name AS (`) are read by name too, and are no tables.
        const ctes = new Set([...sql.matchAll(/(?:\bWITH|,)\s*([a-z_]+)\s+AS\s*\(/gi)].map((match) => match[1]!));
        return [...sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi)].map((match) => match[1]!).filter((name) => !ctes.has(name));
      }),
    );
    // assess
    expect(referenced.size).toBeGreaterThan(3);
    for (const name of referenced) expect(tables, name).toContain(name);
  });
});

describe('data stack: policies, exports and config', () => {
  it('grants no statement "*" actions on "*" resources', () => {
    // prepare
    const policies = program.ofType('aws:iam/rolePolicy:RolePolicy');
    // act
    const findings = administrativeFindings(program);
    // assess
    expect(policies.length).toBeGreaterThanOrEqual(4);
    expect(findings).toEqual([]);
  });

  it('exports what the pipeline stack reads', () => {
    // prepare
    const lake = bucketByName(program, 'lake');
    // act
    const { outputs } = program;
    // assess
    expect(outputs).toMatchObject({
      region: REGION,
      lakeBucketName: lake.id,
      lakeBucketArn: `arn:aws:s3:::${lake.id}`,
      glueDatabaseName: 'twitch_pipeline_prod',
      athenaWorkgroupName: 'twitch-pipeline-prod',
      realtimeTableName: 'twitch_pipeline_prod_realtime_streams',
      realtimeTableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/twitch_pipeline_prod_realtime_streams`,
      realtimeCatalogName: 'twitch_pipeline_prod_realtime',
    });
    expect(outputs.glueCrawlerNames).toEqual(['twitch-pipeline-prod-raw', 'twitch-pipeline-prod-silver', 'twitch-pipeline-prod-gold']);
  });

  it('documents and sets every config key in both stack files', () => {
    // prepare
    const expected = [...DATA_CONFIG_KEYS].sort();
    // act
    const dev = stackFileKeys(fileURLToPath(new URL('../Pulumi.dev.yaml', import.meta.url)), PROJECT);
    const prod = stackFileKeys(fileURLToPath(new URL('../Pulumi.prod.yaml', import.meta.url)), PROJECT);
    // assess
    expect(dev).toEqual(expected);
    expect(prod).toEqual(expected);
  });
});
