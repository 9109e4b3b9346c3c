module.exports = { ...require('../../jest.preset.cjs'), displayName: 'multiplier', rootDir: __dirname };
