export { S3ObjectStore } from './aws/s3-object-store';
export { AWS_CLIENT_OPTIONS } from './aws/aws-client-options';
export {
  createFileDurably,
  makeDirectoryDurably,
  namesInFolder,
  publishFile,
  syncDirectory,
  syncFile,
  writeFileDurably,
  writeSyncedFile,
} from './local/durable-files';
export { LocalObjectStore, type UnreadableFolder } from './local/local-object-store';
export { assertValidKey, type ListOptions, type ObjectInfo, ObjectNotFoundError, type ObjectStore } from './object-store';
export * from './queue/index';
export * from './realtime/index';
