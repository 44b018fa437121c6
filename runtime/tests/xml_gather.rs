//! `Gather`: a list's items come back complete, in order, at their exact count, whatever the
//! item size and however many chunks they filled.

use aws_lite_runtime::xml::Gather;

/// Pushes `n` default items, filling each one in place through `last_mut` as generated
/// parsers do, and returns the gathered list.
fn gather<T: Default>(n: usize, mut fill: impl FnMut(&mut T, usize)) -> Vec<T> {
    let mut items = Gather::new();
    for i in 0..n {
        items.push(T::default());
        match items.last_mut() {
            Some(item) => fill(item, i),
            None => panic!("no last item after pushing item {i}"),
        }
    }
    items.finish()
}

#[test]
fn large_items_come_back_in_order() {
    // 864 bytes, like a ReplicationGroup: one item per chunk.
    for n in [0, 1, 2, 3, 10, 33] {
        let items = gather::<Wide<108>>(n, |item, i| item.0.fill(i as u64));
        assert_eq!(items.len(), n);
        assert!(items.capacity() >= n);
        for (i, item) in items.iter().enumerate() {
            assert!(item.0.iter().all(|&v| v == i as u64), "item {i} of {n}");
        }
    }
}

#[test]
fn chunk_boundaries_of_every_size_keep_order() {
    // Item sizes around the chunk limit and its divisors, counts across several chunks.
    fn check<const W: usize>() {
        for n in [1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100, 257] {
            let items = gather::<Wide<W>>(n, |item, i| item.0.fill(i as u64));
            let seen: Vec<u64> = items
                .iter()
                .map(|w| w.0.first().copied().unwrap_or(0))
                .collect();
            let expected: Vec<u64> = (0..n as u64).collect();
            if W > 0 {
                assert_eq!(seen, expected, "{n} items of {} bytes", 8 * W);
            }
            assert_eq!(items.len(), n);
        }
    }
    check::<0>();
    check::<1>();
    check::<3>();
    check::<41>();
    check::<62>();
    check::<63>();
    check::<124>();
    check::<125>();
    check::<126>();
    check::<200>();
}

#[derive(Clone)]
struct Wide<const W: usize>([u64; W]);

impl<const W: usize> Default for Wide<W> {
    fn default() -> Self {
        Wide([0; W])
    }
}

#[test]
fn a_list_spanning_chunks_is_returned_at_its_exact_size() {
    // 256-byte items: three to a chunk, so 10 items fill four chunks.
    let items = gather::<Wide<32>>(10, |item, i| item.0.fill(i as u64));
    assert_eq!(items.len(), 10);
    assert_eq!(items.capacity(), 10);
}

#[test]
fn owned_items_are_dropped_once() {
    use std::rc::Rc;
    let counter = Rc::new(());
    {
        let mut items = Gather::new();
        for _ in 0..50 {
            items.push((Rc::clone(&counter), [0u8; 400]));
        }
        // Dropped unfinished, as when a parse fails half-way.
        assert_eq!(Rc::strong_count(&counter), 51);
    }
    assert_eq!(Rc::strong_count(&counter), 1);
    let mut items = Gather::new();
    for _ in 0..50 {
        items.push((Rc::clone(&counter), [0u8; 400]));
    }
    let items = items.finish();
    assert_eq!(Rc::strong_count(&counter), 51);
    drop(items);
    assert_eq!(Rc::strong_count(&counter), 1);
}
