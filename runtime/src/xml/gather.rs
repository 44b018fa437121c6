//! [`Gather`]: the items of a list of structures, collected while the list is read.

/// The largest allocation a [`Gather`] makes before [`Gather::finish`], in bytes.
///
/// glibc's `malloc` merges every freed small block into larger free ones whenever a request
/// of 1 KiB or more arrives (`malloc_consolidate`), and every later small request then takes
/// its slow path. A `Vec` of large structures growing by doubling makes such requests in the
/// middle of a parse, just when each item's strings are being allocated: in the 112 KB
/// DescribeReplicationGroups response, that was about a tenth of the parse.
const CHUNK_BYTES: usize = 1000;

/// Collects a list's items in chunks below 1 KiB while the list is read, and makes the one
/// large allocation, of the exact size, when it is done. A list that fits in one chunk is
/// returned as it is, without copying.
///
/// ```
/// use aws_lite_runtime::xml::Gather;
/// let mut items = Gather::new();
/// for i in 0..100u64 {
///     items.push([0u64; 32]); // 256-byte items: three to a chunk
///     if let Some(item) = items.last_mut() {
///         item[31] = i;
///     }
/// }
/// let items: Vec<[u64; 32]> = items.finish();
/// assert_eq!(items.len(), 100);
/// assert!(items.iter().enumerate().all(|(i, item)| item[31] == i as u64));
/// ```
#[derive(Debug)]
pub struct Gather<T> {
    /// Chunks filled before `last`, in order.
    full: Vec<Vec<T>>,
    /// The chunk being filled; its capacity grows up to [`Self::CHUNK`] items.
    last: Vec<T>,
}

impl<T> Gather<T> {
    /// Items per chunk: as many as fit in [`CHUNK_BYTES`], at least one.
    const CHUNK: usize = match std::mem::size_of::<T>() {
        0 => usize::MAX,
        size if size >= CHUNK_BYTES => 1,
        size => CHUNK_BYTES / size,
    };

    /// Whether items are large enough that a `Vec`'s first allocation (four of them) reaches
    /// 1 KiB: only then is every list a large request, and only then are chunks used. Smaller
    /// items grow as in a `Vec` (a list needs dozens of them to reach 1 KiB), and the chunk
    /// code is compiled away for them.
    const CHUNKED: bool = std::mem::size_of::<T>().saturating_mul(4) >= CHUNK_BYTES;

    /// No items yet (and no allocation).
    pub const fn new() -> Self {
        Gather {
            full: Vec::new(),
            last: Vec::new(),
        }
    }

    /// Appends `item`.
    #[inline]
    pub fn push(&mut self, item: T) {
        if Self::CHUNKED && self.last.len() == self.last.capacity() {
            self.make_room();
        }
        self.last.push(item);
    }

    /// The item pushed last, for a parser to fill in place.
    #[inline]
    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.last.last_mut()
    }

    /// Grows the last chunk by doubling up to [`Self::CHUNK`] items, then starts another.
    #[inline(never)]
    fn make_room(&mut self) {
        let cap = self.last.capacity();
        if cap < Self::CHUNK {
            let want = if cap == 0 {
                Self::CHUNK.min(4)
            } else {
                cap.saturating_mul(2).min(Self::CHUNK)
            };
            self.last.reserve_exact(want - self.last.len());
        } else {
            let next = Vec::with_capacity(Self::CHUNK);
            self.full.push(std::mem::replace(&mut self.last, next));
        }
    }

    /// The items in the order they were pushed.
    pub fn finish(self) -> Vec<T> {
        let Gather { full, mut last } = self;
        if !Self::CHUNKED || full.is_empty() {
            return last;
        }
        let len = full.iter().map(Vec::len).sum::<usize>() + last.len();
        let mut all = Vec::with_capacity(len);
        for mut chunk in full {
            all.append(&mut chunk);
        }
        all.append(&mut last);
        all
    }
}

impl<T> Default for Gather<T> {
    fn default() -> Self {
        Self::new()
    }
}
