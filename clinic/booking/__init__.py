"""Booking: free slots, appointments without double booking, holds, references.

Modules: ``models`` (tables), ``schedule`` (schedule.yml in and out of the database),
``slots`` (pure slot computation), ``dates`` (what patients write -> a date window),
``phone`` (names and phone numbers), ``references`` (``NS-7K3W``), ``service`` (find,
book, cancel, reschedule, erase), ``holds`` (a slot kept while the patient confirms),
``store`` (database helpers and the :class:`~clinic.booking.store.AppointmentView`),
``errors``, ``cli``.
"""
