/**
 * @module sign-up-page — handle, display name, password, checked here with the server's own rules
 * (HANDLE_PATTERN, lengths) so mistakes show beside the field before anything is sent.
 */
import { useState, type FormEvent } from 'react';
import { HANDLE_PATTERN } from '../../../src/protocol/api-schemas.ts';
import { isApiError } from '../api/api-error.ts';
import { errorText } from '../api/error-text.ts';
import { signUp } from '../auth/session.ts';
import { Field } from '../components/field.tsx';
import { Link, navigate } from '../router/history.ts';
import { paths } from '../router/routes.ts';

interface Errors {
  handle?: string;
  displayName?: string;
  password?: string;
  form?: string;
}

function check(handle: string, displayName: string, password: string): Errors {
  const e: Errors = {};
  if (!HANDLE_PATTERN.test(handle)) e.handle = 'Use 3 to 15 letters, digits or _.';
  if (displayName.trim() === '') e.displayName = 'Tell people what to call you.';
  else if (displayName.trim().length > 50) e.displayName = 'At most 50 characters.';
  if (password.length < 10) e.password = 'At least 10 characters.';
  return e;
}

export function SignUpPage({ next }: { next: string | null }) {
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const h = handle.trim().replace(/^@/, '');
    const found = check(h, displayName, password);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await signUp({ handle: h, displayName: displayName.trim(), password });
      navigate(next ?? paths.home(), { replace: true });
    } catch (err) {
      const text = errorText(err);
      if (isApiError(err) && err.code === 'handle_taken') setErrors({ handle: text });
      else if (isApiError(err) && (err.field === 'handle' || err.field === 'displayName' || err.field === 'password')) setErrors({ [err.field]: text });
      else setErrors({ form: text });
      setBusy(false);
    }
  };
  return (
    <div className="page page-narrow">
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Create your account</h1>
        <Field label="Handle" name="handle" autoComplete="username" autoCapitalize="none" spellCheck={false} hint="3 to 15 letters, digits or _. People find you by it." error={errors.handle ?? null} value={handle} onChange={(e) => setHandle(e.target.value)} required />
        <Field label="Display name" name="displayName" autoComplete="name" error={errors.displayName ?? null} value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={50} required />
        <Field label="Password" name="password" type="password" autoComplete="new-password" hint="At least 10 characters." error={errors.password ?? null} value={password} onChange={(e) => setPassword(e.target.value)} required />
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <p className="muted-text">
          Already have one? <Link to={paths.signIn(next ?? undefined)}>Sign in</Link>
        </p>
      </form>
    </div>
  );
}
