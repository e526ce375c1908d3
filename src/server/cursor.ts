// The pull cursor: opaque to the phone, signed with a secret the store keeps (so every node of
// one installation accepts the others' cursors), holding nothing the server would trust
// without its own records: the last sequence seen, the caller's assignment-event head, the user.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { IdSchema } from '../domain/index.ts';
import { HttpError } from './errors.ts';

/**
 * v: 2; s: last sequence seen; a: the caller's assignment-event head; u: the user it was issued
 * to; d: the device it was issued to (absent in cursors of earlier versions).
 */
const CursorSchema = z.strictObject({
  v: z.literal(2),
  s: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  a: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  u: IdSchema,
  d: IdSchema.optional(),
});
/** The unsigned cursor of earlier versions: read only to restart cleanly (its district list is never trusted). */
const LegacyCursorSchema = z.object({ v: z.literal(1) });

type Cursor = z.infer<typeof CursorSchema>;

const badCursor = () => new HttpError(400, 'validation_failed', 'the cursor is not one this server issued', [{ path: ['cursor'], message: 'invalid cursor' }]);

export class CursorCodec {
  constructor(private readonly key: string) {}
  private mac(body: string) {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 32);
  }
  encode(c: Cursor): string {
    const body = Buffer.from(JSON.stringify(c)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }
  /** The cursor, `legacy` for an unsigned version-1 cursor, or a 400. */
  decode(cursor: string): Cursor | 'legacy' {
    const [body, sig, ...rest] = cursor.split('.');
    if (body === undefined || rest.length > 0) throw badCursor();
    if (sig === undefined) {
      try {
        if (LegacyCursorSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))).success) return 'legacy';
      } catch {
        // not JSON: fall through
      }
      throw badCursor();
    }
    const want = Buffer.from(this.mac(body));
    const got = Buffer.from(sig);
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw badCursor();
    try {
      return CursorSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      throw badCursor();
    }
  }
}

