"""Running a workout in real time: the scheduler thread and the session that owns engine, sound and history."""
