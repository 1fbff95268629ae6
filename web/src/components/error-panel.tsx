/**
 * @module error-panel — a whole-page message in plain words (room ended, removed, not found, offline)
 * with a way on: never a blank page and never a raw code.
 */
import type { ReactNode } from 'react';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';

export function ErrorPanel({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <section className="error-panel" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      {children}
      <div className="error-actions">
        {action}
        <Link to={paths.home()} className="btn btn-secondary">
          See rooms live now
        </Link>
      </div>
    </section>
  );
}
