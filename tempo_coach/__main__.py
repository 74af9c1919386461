from tempo_coach.cli import main

raise SystemExit(main())
