interface ProgressBarProps {
  /** The accessible name, e.g. "Overall progress". */
  label: string;
  /** 0 to 100. */
  percent: number;
  /** Words after the number, e.g. "12 KiB of 40 KiB"; in a fixed-width cell so nothing moves. */
  detail?: string;
  tone?: 'normal' | 'success' | 'failure';
}

export function ProgressBar({ label, percent, detail, tone = 'normal' }: ProgressBarProps) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div class={`progress progress-${tone}`}>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={detail ? `${value} %, ${detail}` : `${value} %`}
      >
        <div class="progress-fill" style={{ transform: `scaleX(${value / 100})` }} />
      </div>
      <span class="num progress-percent">{value} %</span>
      {detail !== undefined && <span class="num progress-detail">{detail}</span>}
    </div>
  );
}
