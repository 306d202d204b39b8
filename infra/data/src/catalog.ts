import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumeRolePolicy, policyDocument, type SecureBucket } from '@twitch-pipeline/infra-components';
import {
  ANALYTICS_TABLES,
  bronzeStreamRowSchema,
  GOLD_TABLES,
  glueColumns,
  LAKE_PREFIXES,
  quarantineRowSchema,
  silverStreamRowSchema,
} from '@twitch-pipeline/schemas';
import type { DataConfig } from './config';

/** Crawlers of the original system: one per lake layer. */
export type CrawlerLayer = 'raw' | 'silver' | 'gold';

/** One Glue catalog table over a lake prefix. */
export interface CatalogTableSpec {
  name: string;
  prefix: string;
  layer: CrawlerLayer;
  description: string;
  columns: { name: string; type: string; comment: string }[];
}

/**
 * Every catalog table, with columns derived from the row schemas; the names are the ones
 * the saved queries and the local DuckDB views use.
 */
const CATALOG_TABLES: CatalogTableSpec[] = [
  {
    name: 'bronze_streams',
    prefix: LAKE_PREFIXES.bronze,
    layer: 'raw',
    description: 'Bronze: every Helix field as received, one object per snapshot',
    columns: glueColumns(bronzeStreamRowSchema),
  },
  {
    name: 'quarantine_streams',
    prefix: LAKE_PREFIXES.quarantine,
    layer: 'raw',
    description: 'Rejected records with the step and reason that rejected them',
    columns: glueColumns(quarantineRowSchema),
  },
  {
    name: 'silver_streams',
    prefix: LAKE_PREFIXES.silver,
    layer: 'silver',
    description: 'Silver: cleaned, typed and enriched streams, one row per stream per snapshot',
    columns: glueColumns(silverStreamRowSchema),
  },
  ...Object.entries(GOLD_TABLES).map(([table, schema]) => ({
    name: `gold_${table}`,
    prefix: `${LAKE_PREFIXES.gold}${table}/`,
    layer: 'gold' as const,
    description: `Gold: ${table.replace('_', ' ')} aggregates, rewritten whole per date`,
    columns: glueColumns(schema),
  })),
  ...Object.entries(ANALYTICS_TABLES).map(([table, schema]) => ({
    name: `gold_${table}`,
    prefix: `${LAKE_PREFIXES.gold}${table}/`,
    layer: 'gold' as const,
    description: `Gold analytics: ${table.replace('_', ' ')}, rewritten whole per date`,
    columns: glueColumns(schema),
  })),
];

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serDeInfo: {
    serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    parameters: { 'serialization.format': '1' },
  },
};

/** The Glue database, its tables and the crawlers. */
export interface Catalog {
  database: aws.glue.CatalogDatabase;
  tables: Record<string, aws.glue.CatalogTable>;
  crawlers: Record<CrawlerLayer, aws.glue.Crawler>;
}

/**
 * Creates the Glue database and one Parquet table per lake dataset, partitioned by `dt` with
 * Athena partition projection (a new day is queryable at once, no crawler run or
 * `MSCK REPAIR` needed), and one crawler per layer like the original system. The crawlers
 * target the existing tables and only log schema drift: the tables stay derived from the
 * schemas.
 *
 * @example
 * const catalog = createCatalog(config, buckets.lake);
 */
export function createCatalog(config: DataConfig, lake: SecureBucket): Catalog {
  const database = new aws.glue.CatalogDatabase('lake', {
    name: config.sqlPrefix,
    description: 'Twitch streams lake: bronze, silver, gold and quarantine (Parquet)',
  });
  const tables: Record<string, aws.glue.CatalogTable> = {};
  for (const spec of CATALOG_TABLES) {
    const location = pulumi.interpolate`s3://${lake.name}/${spec.prefix}`;
    tables[spec.name] = new aws.glue.CatalogTable(spec.name, {
      name: spec.name,
      databaseName: database.name,
      description: spec.description,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'parquet',
        'parquet.compression': 'SNAPPY',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        // Athena projects dates in UTC and none after NOW, but `dt` is a date of the pipeline's
        // time zone: east of UTC, today's partition would stay hidden until UTC reached that date.
        'projection.dt.range': `${config.projectionStartDate},NOW+1DAYS`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': pulumi.interpolate`${location}dt=\${dt}/`,
      },
      partitionKeys: [{ name: 'dt', type: 'string', comment: 'Collection date (pipeline time zone), YYYY-MM-DD' }],
      storageDescriptor: { ...PARQUET, location, columns: spec.columns },
    });
  }
  const crawlers = {
    raw: createCrawler(config, 'raw', lake, database, tables),
    silver: createCrawler(config, 'silver', lake, database, tables),
    gold: createCrawler(config, 'gold', lake, database, tables),
  };
  return { database, tables, crawlers };
}

function createCrawler(
  config: DataConfig,
  layer: CrawlerLayer,
  lake: SecureBucket,
  database: aws.glue.CatalogDatabase,
  tables: Record<string, aws.glue.CatalogTable>,
): aws.glue.Crawler {
  const specs = CATALOG_TABLES.filter((spec) => spec.layer === layer);
  const identity = aws.getCallerIdentityOutput();
  const region = aws.getRegionOutput().region;
  const glueArn = pulumi.interpolate`arn:aws:glue:${region}:${identity.accountId}`;
  const role = new aws.iam.Role(`crawler-${layer}`, {
    description: `Glue crawler of the ${layer} layer: reads its prefixes, updates its tables' partitions`,
    // Not pinned with aws:SourceAccount as the other service roles are: Glue's crawler guide gives
    // the role a plain trust and names no condition key a crawler's assume-role carries, and a
    // StringEquals on a key absent from the request refuses it, so every crawl. A crawler gets this
    // role only by iam:PassRole in this account (a role cannot be passed to another account's
    // crawler), which is what keeps another party from using it.
    assumeRolePolicy: assumeRolePolicy('glue.amazonaws.com'),
  });
  new aws.iam.RolePolicy(`crawler-${layer}`, {
    role: role.name,
    policy: policyDocument([
      {
        Sid: 'ReadLayerObjects',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: specs.map((spec) => pulumi.interpolate`${lake.arn}/${spec.prefix}*`),
      },
      {
        Sid: 'ListLayerPrefixes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: lake.arn,
        Condition: { StringLike: { 's3:prefix': specs.flatMap((spec) => [spec.prefix, `${spec.prefix}*`]) } },
      },
      {
        Sid: 'UpdateLayerTables',
        Effect: 'Allow',
        Action: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:UpdateTable',
          'glue:GetPartition',
          'glue:GetPartitions',
          'glue:BatchGetPartition',
          'glue:CreatePartition',
          'glue:BatchCreatePartition',
          'glue:UpdatePartition',
          'glue:BatchUpdatePartition',
        ],
        Resource: [
          pulumi.interpolate`${glueArn}:catalog`,
          pulumi.interpolate`${glueArn}:database/${database.name}`,
          ...specs.map((spec) => pulumi.interpolate`${glueArn}:table/${database.name}/${spec.name}`),
        ],
      },
      {
        Sid: 'WriteCrawlerLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: pulumi.interpolate`arn:aws:logs:${region}:${identity.accountId}:log-group:/aws-glue/crawlers*`,
      },
    ]),
  });
  return new aws.glue.Crawler(layer, {
    name: `${config.prefix}-${layer}`,
    description: `Checks the ${layer} layer's objects against its catalog tables (logs schema drift)`,
    role: role.arn,
    databaseName: database.name,
    catalogTargets: [{ databaseName: database.name, tables: specs.map((spec) => tables[spec.name]!.name) }],
    // Catalog targets require LOG on delete; LOG on update keeps the schema-derived columns.
    schemaChangePolicy: { deleteBehavior: 'LOG', updateBehavior: 'LOG' },
    configuration: JSON.stringify({
      Version: 1.0,
      CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } },
    }),
    ...(config.crawlerSchedule ? { schedule: config.crawlerSchedule } : {}),
  });
}
