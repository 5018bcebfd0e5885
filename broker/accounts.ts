// The port through which the platform manages device accounts at the broker. The platform is
// the source of truth for devices (the "Device" table, secrets stored hashed); the broker must
// follow it at once when a device is created, gets a new secret, or is retired — also a broker
// the platform does not run itself (Mosquitto, `BROKER_URL`). Implementations:
//   embedded-accounts.ts   the embedded aedes broker, which reads the Device table itself
//   mosquitto/accounts.ts  Mosquitto's dynamic-security plugin, over its $CONTROL topic API
//
// Contract for callers (the device register): call after the change is committed to the
// platform's own store, and retry on failure — both operations are idempotent. A device whose
// provision() failed cannot connect to an external broker yet; it is not lost, it resends.

export interface DeviceAccounts {
  /**
   * A new device, or a new secret for an existing one. From now on the broker accepts `deviceId`
   * (as username and client id, which must be equal) only with `secret`, and only on the device's
   * own topics. A live session opened with another secret ends at once.
   */
  provision(deviceId: string, secret: string): Promise<void>;
  /** A retired device: refused from now on; its live session, if any, ends at once. */
  revoke(deviceId: string): Promise<void>;
  /** Releases connections the implementation holds (not the devices' accounts). */
  close(): Promise<void>;
}
