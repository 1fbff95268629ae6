/**
 * @module mic-meter — the soundcheck: a bar that moves with the microphone's input, so a host sees
 * backstage that the right microphone is picked up before going live. Redraws once per animation
 * frame by writing the <meter> element directly, never through React state (60 renders a second).
 */
import { useEffect, useRef } from 'react';
import { MicIcon } from './icons.tsx';

export function MicMeter({ level }: { level: (() => number) | null }) {
  const meter = useRef<HTMLMeterElement>(null);
  useEffect(() => {
    if (!level) return;
    let frame = 0;
    let shown = 0;
    const draw = () => {
      // fast attack, slow release: a meter that flickers is hard to read
      const v = level();
      shown = v > shown ? v : shown * 0.9 + v * 0.1;
      if (meter.current) meter.current.value = shown;
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [level]);
  return (
    <div className="mic-meter">
      <MicIcon size={18} />
      <label className="mic-meter-label">
        <span>{level ? 'Microphone level' : 'Starting your microphone…'}</span>
        <meter ref={meter} min={0} max={1} low={0.25} high={0.9} optimum={0.6} value={0} />
      </label>
    </div>
  );
}
