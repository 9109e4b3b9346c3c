module.exports = { ...require('../../jest.preset.cjs'), displayName: 'reducer-runtime', rootDir: __dirname };
