import {formatSpan, remainingMs} from '../time.js';
import {visible} from '../terminal.js';
import type {CachedSession} from './sessions.js';

/**
 * What `clear`, `logout` and `unset --forget` deleted, one line per session, by profile and kind, so that "2
 * sessions" is never a surprise: `profile 'admin': role session of arn:aws:iam::1:role/Admin (55m left)`,
 * `profile 'admin': MFA session of arn:aws:iam::1:mfa/alice, which its roles are assumed from (11h 2m left)`.
 * The names come from cache files: shown through visible().
 */
export function describeForgotten(sessions: readonly CachedSession[], now: Date): string[] {
  return [...sessions]
    .sort((a, b) => a.profile.localeCompare(b.profile) || (a.role === undefined ? 1 : 0) - (b.role === undefined ? 1 : 0))
    .map(session => {
      const left = remainingMs(session.credentials, now);
      const kind = session.role === undefined
        ? `MFA session of ${visible(session.serialNumber)}`
        : `role session of ${visible(session.role)}`;
      return `profile '${visible(session.profile)}': ${kind} (${left > 0 ? `${formatSpan(left)} left` : `expired`})`;
    });
}
