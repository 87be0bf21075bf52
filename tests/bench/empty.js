// Start-up alone: the benchmark times a program that does nothing.
