//! [`Gather`]: the items of a list of structures, collected while the list is read.

/// The largest allocation a [`Gather`] makes before [`Gather::finish`], in bytes.
///
/// glibc's `malloc` merges every freed small block into larger free ones whenever a request
/// of 1 KiB or more arrives (`malloc_consolidate`), and every later small request then takes
/// its slow path. A `Vec` of large structures growing by doubling makes such requests in the
/// middle of a parse, just when each item's strings are being allocated: in the 112 KB
/// DescribeReplicationGroups response, that was about a tenth of the parse.
const CHUNK_BYTES: usize = 1000;

/// A list's items, collected while the list is read. When four items take 1 KiB or more (a
/// `Vec`'s first allocation would already be a large request), they are kept in chunks below
/// 1 KiB, and the one large allocation, of the exact size, is made when the list is done; a
/// list that fits in one chunk is returned as it is. Smaller items are kept in a `Vec` that
/// grows as usual (a list needs dozens of them to reach 1 KiB).
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
    /// The chunk being filled (for unchunked items, the whole list).
    last: Vec<T>,
}

impl<T> Gather<T> {
    /// Whether items are chunked: four of them reach [`CHUNK_BYTES`].
    const CHUNKED: bool = std::mem::size_of::<T>().saturating_mul(4) >= CHUNK_BYTES;

    /// Items per chunk (at most four when chunked): as many as fit in [`CHUNK_BYTES`], at
    /// least one.
    const CHUNK: usize = match std::mem::size_of::<T>() {
        0 => 1,
        size if size >= CHUNK_BYTES => 1,
        size => CHUNK_BYTES / size,
    };

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

    /// Starts a chunk (the first one, or the next when the last is full).
    #[inline(never)]
    fn make_room(&mut self) {
        let last = std::mem::replace(&mut self.last, Vec::with_capacity(Self::CHUNK));
        if !last.is_empty() {
            self.full.push(last);
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
