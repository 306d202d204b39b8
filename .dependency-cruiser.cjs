/** Module boundaries checked by every project's `lint`: see tools/scripts/module-boundaries.cjs. */
const { dependencyCruiserConfig } = require('./tools/scripts/module-boundaries.cjs');

module.exports = dependencyCruiserConfig(__dirname);
