interface PagerProps {
  /** What is paged, for the accessible names: "segments", "seats". */
  noun: string;
  page: number;
  totalCount?: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}

export function Pager({ noun, page, totalCount, hasPrevious, hasNext, onPrevious, onNext }: PagerProps) {
  return (
    <nav class="pager" aria-label={`Pages of ${noun}`}>
      <button
        type="button"
        onClick={onPrevious}
        disabled={!hasPrevious}
        aria-label={`Previous page of ${noun}`}
      >
        Previous
      </button>
      <span class="num">
        Page {page}
        {totalCount !== undefined && ` · ${totalCount} ${totalCount === 1 ? noun.replace(/s$/, '') : noun}`}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext} aria-label={`Next page of ${noun}`}>
        Next
      </button>
    </nav>
  );
}
