import { VALIDATOR_PROPERTIES } from './validator-properties';

describe('event log request validators and decoders (fast-check)', () => {
  it.each(VALIDATOR_PROPERTIES.map((property) => [property.name, property]))('%s', (_name, property) => {
    expect(() => property.run(300, 42)).not.toThrow();
  });
});
