/**
 * @module share-button — copies the room's link in one click and says so ("Link copied"), with the
 * system share sheet as a fallback where the clipboard is refused.
 */
import { useEffect, useState } from 'react';
import { ShareIcon } from './icons.tsx';
import { showToast } from './toasts.tsx';

export function ShareButton({ url, title }: { url: string; title: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2500);
    return () => clearTimeout(t);
  }, [copied]);
  const share = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      showToast('Link copied');
    } catch (err) {
      if (typeof navigator.share === 'function') {
        await navigator.share({ url, title }).catch((e: unknown) => console.info('share sheet closed', e));
        return;
      }
      console.warn('clipboard refused', err);
      showToast(`Copy this link: ${url}`, 'info', 8000);
    }
  };
  return (
    <button type="button" className="btn btn-secondary btn-small" onClick={() => void share()} aria-label={copied ? 'Link copied' : 'Copy the room link'}>
      <ShareIcon size={16} />
      <span aria-hidden="true">{copied ? 'Link copied' : 'Share'}</span>
    </button>
  );
}
