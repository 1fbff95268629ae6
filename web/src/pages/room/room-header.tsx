/**
 * @module room-header — the top of a room: back to the list, status (LIVE / Backstage / Starting
 * soon), title, topics, description, how many listen, and Share.
 */
import type { RoomView } from '../../../../src/protocol/api-views.ts';
import { BackIcon, HeadphonesIcon } from '../../components/icons.tsx';
import { formatCount } from '../../components/room-card.tsx';
import { ShareButton } from '../../components/share-button.tsx';
import { StatusPill } from '../../components/status-pill.tsx';
import { Link } from '../../router/history.ts';
import { paths } from '../../router/routes.ts';
import { TopicList } from '../../components/topic-list.tsx';

export function RoomHeader({ room, audience }: { room: RoomView; audience: boolean }) {
  const url = `${location.origin}${paths.room(room.id)}`;
  return (
    <header className="room-header">
      <div className="room-header-row">
        <Link to={paths.home()} className="btn btn-ghost btn-small back-link">
          <BackIcon size={16} /> All rooms
        </Link>
        <ShareButton url={url} title={room.title} />
      </div>
      <div className="room-meta">
        <StatusPill status={room.status} audience={audience} />
        <span className="listeners" aria-label={`${room.listenerCount} listening`}>
          <HeadphonesIcon size={16} />
          <span aria-hidden="true">{formatCount(room.listenerCount)} listening</span>
        </span>
      </div>
      <h1 className="room-title">{room.title}</h1>
      <TopicList topics={room.topics} />
      {room.description !== '' && <p className="room-description">{room.description}</p>}
    </header>
  );
}
