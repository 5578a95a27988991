"""Which types of attached file the portal keeps (what a file is: common/filetypes.py)."""

KEPT_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "application/zip",
    "application/x-ole-storage",
    "text/plain",
}
