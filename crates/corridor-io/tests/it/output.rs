//! `write_atomic`: what happens to what is already at the target.

use corridor_io::write_atomic;
use std::os::unix::fs::PermissionsExt;

#[test]
fn an_existing_file_is_replaced_whole_and_keeps_its_mode() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.csv");
    std::fs::write(&path, "old").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    write_atomic(&path, b"new").expect("written");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
}

#[test]
fn a_symlink_stays_a_symlink_and_its_target_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    std::fs::write(&real, "old").expect("write");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    write_atomic(&link, b"new").expect("written");
    assert!(std::fs::symlink_metadata(&link)
        .expect("meta")
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
}

#[test]
fn a_folder_is_refused_and_a_device_is_written_through() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = write_atomic(dir.path(), b"x").expect_err("a folder");
    assert!(err.to_string().contains("is a folder"), "{err}");
    write_atomic(std::path::Path::new("/dev/null"), b"x").expect("written through");
    assert!(std::fs::metadata("/dev/null")
        .expect("meta")
        .file_type()
        .is_char_device_like());
}

trait CharDevice {
    fn is_char_device_like(&self) -> bool;
}

impl CharDevice for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_char_device()
    }
}
