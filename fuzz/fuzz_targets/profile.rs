//! An uploaded configuration profile (.mobileconfig): checked, parsed and
//! read into VPN settings, or refused with a message.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tunnelscope::profile;
use tunnelscope::version::IosVersion;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(value) = profile::parse(bytes) {
        let _ = profile::from_value(&value, IosVersion::new(18, 2, 0));
    }
});
