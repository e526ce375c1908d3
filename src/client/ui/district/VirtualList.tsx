// Hand-rolled windowing: fixed-height rows, only the visible ones (plus overscan) are in the DOM,
// so a district of 1,000 households scrolls like one of 20.
import { useState, type ReactNode, type UIEvent } from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Height of the scrolling viewport (CSS length). */
  height: string;
  overscan?: number;
  itemKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  label: string;
  /** Pixel height used until the first scroll measures the viewport (default: the window's height). */
  initialViewport?: number;
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, overscan = 6 } = props;
  const [scrollTop, setScrollTop] = useState(0);
  // The window's height bounds the viewport without a layout read: measuring the element on mount
  // forced a synchronous layout in the first commit (about 100 ms on a throttled cold start).
  const [viewport, setViewport] = useState(() => props.initialViewport ?? (typeof window === 'undefined' ? 800 : window.innerHeight || 800));
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    setScrollTop(e.currentTarget.scrollTop);
    if (e.currentTarget.clientHeight > 0) setViewport(e.currentTarget.clientHeight);
  };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  const visible = items.slice(first, last);
  return (
    <div className="vlist" style={{ height: props.height, overflowY: 'auto', position: 'relative' }} onScroll={onScroll} role="region" aria-label={props.label} tabIndex={0}>
      <ul className="list" style={{ height: items.length * rowHeight, position: 'relative', margin: 0 }}>
        {visible.map((item, i) => (
          <li key={props.itemKey(item)} style={{ position: 'absolute', top: (first + i) * rowHeight, left: 0, right: 0, height: rowHeight }}>
            {props.renderRow(item, first + i)}
          </li>
        ))}
      </ul>
    </div>
  );
}
