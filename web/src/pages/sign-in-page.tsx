/**
 * @module sign-in-page — handle and password; on success goes back where the person came from
 * (`next`, same-site paths only) or home.
 */
import { useState, type FormEvent } from 'react';
import { errorText } from '../api/error-text.ts';
import { signIn } from '../auth/session.ts';
import { Field } from '../components/field.tsx';
import { Link, navigate } from '../router/history.ts';
import { paths } from '../router/routes.ts';

export function SignInPage({ next }: { next: string | null }) {
  const [handle, setHandle] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await signIn({ handle: handle.trim().replace(/^@/, ''), password });
      navigate(next ?? paths.home(), { replace: true });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <div className="page page-narrow">
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Sign in</h1>
        <Field label="Handle" name="handle" autoComplete="username" autoCapitalize="none" spellCheck={false} value={handle} onChange={(e) => setHandle(e.target.value)} required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || handle.trim() === '' || password === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted-text">
          New here? <Link to={paths.signUp(next ?? undefined)}>Create an account</Link>
        </p>
      </form>
    </div>
  );
}
