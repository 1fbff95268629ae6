/** @module topic-list — a room's topics as chips, on room cards and in the room header; renders nothing without topics. */
export function TopicList({ topics }: { readonly topics: readonly string[] }) {
  if (topics.length === 0) return null;
  return (
    <ul className="topics" aria-label="Topics">
      {topics.map((t) => (
        <li key={t} className="topic">
          {t}
        </li>
      ))}
    </ul>
  );
}
