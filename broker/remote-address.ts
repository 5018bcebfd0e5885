// Peer addresses recorded when a connection is accepted: a destroyed socket no longer knows
// its own, and refused or failed connections are exactly the ones worth logging with it.
const addresses = new WeakMap<object, string>();

export function rememberRemoteAddress(conn: object, address: string | undefined): void {
  if (address) addresses.set(conn, address);
}

export function remoteAddressOf(conn: object): string | undefined {
  return addresses.get(conn);
}
