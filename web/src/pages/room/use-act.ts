/**
 * @module use-act — sends a room action and says the outcome in words: a refusal becomes a toast from
 * the error table, a success may say what happened. Resolves true when the server accepted, so forms
 * and menus know whether to close.
 */
import { useCallback } from 'react';
import type { RoomActionBody } from '../../../../src/protocol/api-schemas.ts';
import { errorText } from '../../api/error-text.ts';
import { showToast } from '../../components/toasts.tsx';
import type { RoomSession } from '../../room/room-session.ts';

export type Act = (action: RoomActionBody, done?: string) => Promise<boolean>;

export function useAct(session: RoomSession): Act {
  return useCallback(
    async (action, done) => {
      try {
        await session.act(action);
        if (done) showToast(done);
        return true;
      } catch (err) {
        showToast(errorText(err), 'error');
        return false;
      }
    },
    [session],
  );
}
