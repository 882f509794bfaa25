"""The pages of Aurora's Settings window."""
