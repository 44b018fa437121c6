//! Arbitrary bytes as the body of a `TestMigration` response: the parser must return
//! (`Ok` or `Err`), never panic, overflow the stack or hang.
#![no_main]

use aws_lite_runtime::protocol::HttpResponse;
use elasticache::operation::test_migration::parse_response;
use libfuzzer_sys::fuzz_target;

/// Statuses the first byte selects from: successes (which take the output parser) and
/// client and server errors (which take the `<ErrorResponse>` parser), plus a redirect
/// and an out-of-range value.
const STATUSES: [u16; 16] = [
    200, 200, 200, 200, 201, 204, 299, 400, 400, 403, 404, 409, 500, 503, 302, 999,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(first) % STATUSES.len()];
    // A request id header when bit 0x10 of the first byte is set, so that branch runs too.
    let headers = if first & 0x10 != 0 {
        vec![("x-amzn-RequestId".to_string(), "fuzz".to_string())]
    } else {
        vec![]
    };
    let response = HttpResponse::new(status, headers, body);
    match parse_response(&response) {
        Ok(output) => {
            let _ = format!("{output:?}");
        }
        // Rendering the error runs the excerpt and message code as well.
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
