/**
 * @module create-room-page — start a room: title, up to 3 topics, description, who may ask to speak.
 * Limits come from src/protocol/room-vocabulary.ts so the form and the server agree. On success the host lands in
 * the room, backstage; or, with "Schedule for later" (a date and time on the host's own clock, sent as ms
 * with the browser's time zone), on their profile, where the scheduled room is listed.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS } from '../../../src/protocol/room-vocabulary.ts';
import type { SpeakerPolicy } from '../../../src/protocol/room-vocabulary.ts';
import { isApiError } from '../api/api-error.ts';
import { api } from '../api/endpoints.ts';
import { errorText } from '../api/error-text.ts';
import { useSession } from '../auth/session.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { Field } from '../components/field.tsx';
import { showToast } from '../components/toasts.tsx';
import { formatStart, fromLocalInput, suggestedStart, toLocalInput, viewerTimeZone } from '../notify/start-time.ts';
import { Link, navigate } from '../router/history.ts';
import { paths } from '../router/routes.ts';

const POLICIES: readonly { value: SpeakerPolicy; label: string; hint: string }[] = [
  { value: 'everyone', label: 'Everyone', hint: 'Any signed-in listener can raise a hand.' },
  { value: 'followed', label: 'People you follow', hint: 'Only people you follow can raise a hand.' },
  { value: 'invited', label: 'Only people you invite', hint: 'Nobody can raise a hand; you invite speakers.' },
];

export function CreateRoomPage() {
  const s = useSession();
  const [title, setTitle] = useState('');
  const [topicDraft, setTopicDraft] = useState('');
  const [topics, setTopics] = useState<readonly string[]>([]);
  const [description, setDescription] = useState('');
  const [policy, setPolicy] = useState<SpeakerPolicy>('everyone');
  const [later, setLater] = useState(false);
  const [when, setWhen] = useState(() => toLocalInput(suggestedStart(Date.now())));
  const [error, setError] = useState<{ field: 'title' | 'topics' | 'description' | 'when' | 'form'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  if (s.status === 'loading') return <div className="page" role="status">Loading…</div>;
  if (s.status === 'signedOut')
    return (
      <div className="page">
        <ErrorPanel title="Sign in to start a room" action={<Link to={paths.signIn(paths.createRoom())} className="btn btn-primary">Sign in</Link>}>
          <p>Anyone can listen without an account; hosting needs one.</p>
        </ErrorPanel>
      </div>
    );

  const addTopic = () => {
    const t = topicDraft.trim().replace(/,$/, '').trim();
    if (t === '' || topics.length >= LIMITS.topics) return;
    if (!topics.some((x) => x.toLowerCase() === t.toLowerCase())) setTopics([...topics, t.slice(0, LIMITS.topicMaxChars)]);
    setTopicDraft('');
  };
  const onTopicKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      addTopic();
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const t = title.trim();
    if (t === '' || t.length > LIMITS.titleMaxChars) return setError({ field: 'title', text: `Give the room a title of 1 to ${LIMITS.titleMaxChars} characters.` });
    const draft = topicDraft.trim();
    const allTopics = draft !== '' && topics.length < LIMITS.topics ? [...topics, draft.slice(0, LIMITS.topicMaxChars)] : [...topics];
    const startsAt = later ? fromLocalInput(when) : null;
    if (later && startsAt === null) return setError({ field: 'when', text: 'Pick a date and a time.' });
    setError(null);
    setBusy(true);
    try {
      const fields = { title: t, topics: allTopics, description: description.trim(), speakerPolicy: policy };
      if (startsAt !== null) {
        const { room } = await api.scheduleRoom({ ...fields, startsAt, timeZone: viewerTimeZone() });
        showToast(`Scheduled for ${formatStart(room.schedule?.startsAt ?? startsAt)}`);
        navigate(paths.profile(room.host.handle));
      } else {
        const { room } = await api.createRoom(fields);
        navigate(paths.room(room.id));
      }
    } catch (err) {
      const text = errorText(err);
      const code = isApiError(err) ? err.code : '';
      setError({ field: code === 'invalid_title' ? 'title' : code === 'invalid_topics' ? 'topics' : code === 'invalid_description' ? 'description' : code === 'invalid_start_time' || code === 'invalid_time_zone' ? 'when' : 'form', text });
      setBusy(false);
    }
  };
  const fieldError = (f: 'title' | 'topics' | 'description' | 'when') => (error?.field === f ? error.text : null);
  return (
    <div className="page page-narrow">
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Start a room</h1>
        <p className="muted-text">It opens backstage: you and your speakers can get ready before anyone hears you.</p>
        <Field label="Title" name="title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={LIMITS.titleMaxChars} placeholder="What do you want to talk about?" hint={`${title.length}/${LIMITS.titleMaxChars}`} error={fieldError('title')} required />
        <div className="field">
          <label className="field-label" htmlFor="topic-input">
            Topics <span className="muted-text">(up to {LIMITS.topics})</span>
          </label>
          {topics.length > 0 && (
            <ul className="topics topics-edit" aria-label="Chosen topics">
              {topics.map((t) => (
                <li key={t} className="topic">
                  {t}
                  <button type="button" className="topic-remove" onClick={() => setTopics(topics.filter((x) => x !== t))} aria-label={`Remove topic ${t}`}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          {topics.length < LIMITS.topics && (
            <div className="inline-form">
              <input id="topic-input" value={topicDraft} onChange={(e) => setTopicDraft(e.target.value)} onKeyDown={onTopicKey} maxLength={LIMITS.topicMaxChars} placeholder="e.g. music" aria-describedby="topic-hint" />
              <button type="button" className="btn btn-secondary btn-small" onClick={addTopic} disabled={topicDraft.trim() === ''}>
                Add
              </button>
            </div>
          )}
          <span id="topic-hint" className="field-hint">
            Press Enter to add a topic.
          </span>
          {fieldError('topics') && <span className="field-error">{fieldError('topics')}</span>}
        </div>
        <div className="field">
          <label className="field-label" htmlFor="room-description">
            Description <span className="muted-text">(optional)</span>
          </label>
          <textarea id="room-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={LIMITS.descriptionMaxChars} rows={3} aria-describedby="description-hint" />
          <span id="description-hint" className="field-hint">
            {description.length}/{LIMITS.descriptionMaxChars}
          </span>
          {fieldError('description') && <span className="field-error">{fieldError('description')}</span>}
        </div>
        <fieldset className="field">
          <legend className="field-label">Who can ask to speak</legend>
          {POLICIES.map((p) => (
            <label key={p.value} className="radio">
              <input type="radio" name="policy" value={p.value} checked={policy === p.value} onChange={() => setPolicy(p.value)} />
              <span>
                {p.label}
                <small>{p.hint}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={later} onChange={(e) => setLater(e.target.checked)} />
            <span>Schedule for later</span>
          </label>
          {later && (
            <>
              <label className="field-label" htmlFor="room-starts-at">
                Starts at
              </label>
              <input id="room-starts-at" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} aria-describedby="starts-at-hint" aria-invalid={fieldError('when') ? true : undefined} required />
              <span id="starts-at-hint" className="field-hint">
                Your time ({viewerTimeZone()}); up to 30 days ahead. Followers see it in their own time zone.
              </span>
              {fieldError('when') && <span className="field-error">{fieldError('when')}</span>}
            </>
          )}
        </div>
        {error?.field === 'form' && (
          <p className="form-error" role="alert">
            {error.text}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {later ? (busy ? 'Scheduling…' : 'Schedule room') : busy ? 'Creating…' : 'Create room'}
        </button>
      </form>
    </div>
  );
}
