export {
  ANALYTICS_MODEL_NAMES,
  type AnalyticsModelName,
  analyticsModelParameters,
  trendWindowDates,
} from './analytics-models';
export { contentTypeOf, NON_GAME_CATEGORIES, NON_GAME_CATEGORY_IDS } from './content-type';
export { installFeatureMacros } from './feature-macros';
export { HOURS_WATCHED_ACCURACY, hoursWatchedAccuracyNote } from './hours-watched-accuracy';
export { intlDayPeriod, intlLocalDate, intlLocalHour } from './intl-local-time';
export { type LocalTime, localTimesOf } from './local-time';
export { checkModelRules, MODEL_SCHEMAS, type ModelRules, modelRules, type RuleViolation } from './model-rules';
export {
  readSavedQueries,
  type SavedQuery,
  type SavedQueryFiles,
  type SavedQueryParameter,
  type SavedQueryParameterType,
  savedQueries,
  savedQueryValues,
  typedParameterValue,
} from './saved-queries';
export {
  listSqlFiles,
  MODEL_NAMES,
  type ModelName,
  modelSql,
  readSqlFile,
  SQL_FOLDERS,
  type SqlFolder,
  sqlDirectory,
} from './sql-files';
