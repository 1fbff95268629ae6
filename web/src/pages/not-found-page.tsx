/**
 * @module not-found-page — an address the app does not know: say so, offer the way home.
 */
import { ErrorPanel } from '../components/error-panel.tsx';

export function NotFoundPage() {
  return (
    <div className="page">
      <ErrorPanel title="There is nothing at this address">
        <p>The link may be wrong or out of date.</p>
      </ErrorPanel>
    </div>
  );
}
