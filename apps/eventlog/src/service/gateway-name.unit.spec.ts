import { gatewayName } from './gateway-name';

describe('gatewayName', () => {
  it('is the listening address when it names a host', () => {
    expect(gatewayName('127.0.0.1:50051', 'box')).toBe('127.0.0.1:50051');
    expect(gatewayName('[::1]:50061', 'box')).toBe('[::1]:50061');
  });

  it('puts the host name in place of a wildcard host', () => {
    expect(gatewayName('0.0.0.0:50051', 'box')).toBe('box:50051');
    expect(gatewayName('[::]:50051', 'box')).toBe('box:50051');
  });
});
