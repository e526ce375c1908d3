// The device key: what lets a phone whose app PIN is forgotten open its own encrypted store again
// after the user signs in with the password (issue 10). The phone wraps its data key with it and
// keeps only the wrapped copy; the server never sees the data key or the data. It is derived, not
// stored: HMAC of the user and the device under a secret the store keeps (the same on every node),
// so any node gives the same key and nothing per device has to be written. It is handed out only
// to a caller who just proved the password on that device (the login answer) or who holds a live
// token issued for that device (GET /auth/device-key).
import { createHmac } from 'node:crypto';

export class DeviceKeys {
  constructor(private readonly secret: string) {}
  /** 32 bytes, base64url: an AES-256 key-wrapping key for this user on this device. */
  keyFor(userId: string, deviceId: string): string {
    return createHmac('sha256', this.secret).update(`pucha-device-key\u0000${userId}\u0000${deviceId}`).digest('base64url');
  }
}
