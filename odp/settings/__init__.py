"""Settings profiles: ``base`` reads the environment; ``dev`` is the embedded default, ``test`` the suite's,
``production`` the deployable one."""
