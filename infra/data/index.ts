import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createAnalytics } from './src/athena';
import { createBuckets } from './src/buckets';
import { createCatalog } from './src/catalog';
import { loadDataConfig } from './src/config';
import { createRealtime } from './src/realtime';

const config = loadDataConfig();
const buckets = createBuckets(config);
const catalog = createCatalog(config, buckets.lake);
const analytics = createAnalytics(config, buckets.athenaResults, catalog.database);
const realtime = createRealtime(config, buckets.athenaResults, analytics.workgroup);

// The pipeline stack reads these through a StackReference.
export const region = aws.getRegionOutput().region;
export const lakeBucketName = buckets.lake.name;
export const lakeBucketArn = buckets.lake.arn;
export const athenaResultsBucketName = buckets.athenaResults.name;
/** Bucket of the lake's and the Athena results bucket's S3 server access logs. */
export const accessLogBucketName = buckets.accessLogs.name;
export const glueDatabaseName = catalog.database.name;
export const glueCrawlerNames = pulumi.all(Object.values(catalog.crawlers).map((crawler) => crawler.name));
export const athenaWorkgroupName = analytics.workgroup.name;
export const realtimeTableName = realtime.table.name;
export const realtimeTableArn = realtime.table.arn;
export const realtimeCatalogName = realtime.dataCatalog.name;
