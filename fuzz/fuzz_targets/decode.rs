#![no_main]
//! Decode any bytes: no panic; the char → byte map covers the input.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let d = zhfacts::decode::decode(data, None);
    assert_eq!(d.starts.len(), d.text.chars().count() + 1);
    assert!(*d.starts.last().unwrap() as usize <= data.len());
});
