export { contentTypeOf, NON_GAME_CATEGORIES, NON_GAME_CATEGORY_IDS } from './content-type';
export { dayPeriodOf, localDate, localHour } from './local-time';
