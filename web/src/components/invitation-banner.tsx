/**
 * @module invitation-banner — "You're invited to speak" with Accept and Decline, shown while the
 * viewer's place says invited. Accepting brings them on stage, muted.
 */
export function InvitationBanner({ onAnswer, busy }: { onAnswer: (accept: boolean) => void; busy: boolean }) {
  return (
    <section className="banner banner-invite" aria-labelledby="invite-title">
      <div>
        <h2 id="invite-title" className="banner-title">
          You're invited to speak
        </h2>
        <p>Join the stage? You will arrive muted.</p>
      </div>
      <div className="banner-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onAnswer(true)}>
          Accept
        </button>
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => onAnswer(false)}>
          Decline
        </button>
      </div>
    </section>
  );
}
