"""Career paths and opportunities across central government, local government and partners."""
