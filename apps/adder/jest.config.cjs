module.exports = { ...require('../../jest.preset.cjs'), displayName: 'adder', rootDir: __dirname };
