/**
 * @module room-card — one room in the home list, the whole card one link: live badge, title, topics,
 * the people on stage (avatars and names) and how many listen.
 */
import type { RoomView } from '../../../src/protocol/api-views.ts';
import { Link } from '../router/history.ts';
import { paths } from '../router/routes.ts';
import { Avatar } from './avatar.tsx';
import { HeadphonesIcon } from './icons.tsx';
import { StatusPill } from './status-pill.tsx';
import { TopicList } from './topic-list.tsx';

export const formatCount = (n: number): string => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}K` : n >= 1000 ? `${(n / 1000).toFixed(1)}K` : String(n));

export function RoomCard({ room }: { room: RoomView }) {
  const shown = room.stage.slice(0, 4);
  const names = room.stage.map((m) => m.user.displayName);
  const who = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return (
    <li>
      <Link to={paths.room(room.id)} className="room-card" aria-label={`${room.title}. Hosted by ${room.host.displayName}. ${room.listenerCount} listening.`}>
        <div className="room-card-top">
          <StatusPill status={room.status} audience />
          <span className="listeners">
            <HeadphonesIcon size={14} /> {formatCount(room.listenerCount)}
          </span>
        </div>
        <h3 className="room-card-title">{room.title}</h3>
        <TopicList topics={room.topics} />
        <div className="room-card-stage">
          <span className="avatar-stack">
            {shown.map((m) => (
              <Avatar key={m.user.id} user={m.user} size={32} />
            ))}
          </span>
          <span className="room-card-who">
            <span className="room-card-host">Host: {room.host.displayName}</span>
            <span className="muted-text">On stage: {who}</span>
          </span>
        </div>
      </Link>
    </li>
  );
}
