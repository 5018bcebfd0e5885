// The port through which the platform tells a broker about device accounts. The platform owns
// devices (the "Device" table, secrets stored hashed); the broker must follow at once when a
// device is enrolled, gets a new secret, or is retired. The embedded broker implements it in
// embedded-accounts.ts; a broker the platform does not run (BROKER_URL) needs its own.
// Callers call after the change is committed; both operations are idempotent.

export interface DeviceAccounts {
  /**
   * A new device, or a new secret for one: from now on `deviceId` is let in only with `secret`,
   * and a live session opened with another secret ends at once.
   */
  provision(deviceId: string, secret: string): Promise<void>;
  /** A retired device: refused from now on; its live session, if any, ends at once. */
  revoke(deviceId: string): Promise<void>;
}
