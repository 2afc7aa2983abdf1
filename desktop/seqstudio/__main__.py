from seqstudio.launcher import main

raise SystemExit(main())
