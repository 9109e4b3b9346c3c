// The jest environment of every project (jest.preset.cjs): node's, plus a
// check after the last hook of a test file that nothing tracked through
// @hello-es/process trackOpenResource (gRPC servers, spawned apps) is still
// open. A leak fails the file with the list instead of a warning from
// jest's open-handle detection (which only warns).
//
// Plain CommonJS: jest loads test environments without the ts transform.
const { TestEnvironment } = require('jest-environment-node');

const OPEN_RESOURCES_KEY = '__helloEsOpenResources';

class LeakCheckingEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // A Set created in the test's realm, so `instanceof Set` holds there.
    this.global[OPEN_RESOURCES_KEY] = new this.global.Set();
  }

  async handleTestEvent(event, state) {
    // run_finish comes after every afterAll of the file, so whatever is still
    // registered was never closed by the test that opened it.
    if (event.name !== 'run_finish') return;
    const open = [...this.global[OPEN_RESOURCES_KEY]].map((resource) => resource.description);
    if (open.length > 0) {
      state.unhandledErrors.push(
        new Error(`left open after the last test of this file (close it in afterAll/afterEach):\n  ${open.join('\n  ')}`),
      );
    }
  }
}

module.exports = LeakCheckingEnvironment;
