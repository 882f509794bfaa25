"""The Qt user interface: tray icon, chat popup, and the bridge from core to Qt."""
