// The quick mode runs in band: the scenarios spawn and kill processes and
// measure memory, so running them in parallel on a 2-core machine would only
// make them slower and noisier.
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'reliability', rootDir: __dirname, verbose: true };
